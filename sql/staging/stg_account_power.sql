-- One row per account whose `[[accounts]]` table gives a power draw, as the config the warehouse
-- was built with says: a constant draw in watts, or an efficiency in joules per terahash that
-- turns the day's measured hashrate into energy (one of the two). An account without a row has
-- no energy figure: its P&L has no cost (NULL), never 0 (docs/configuration.md).
-- key: account
-- column account VARCHAR: the account's `name` in the config (`[[accounts]]`)
-- column power_watts DECIMAL(18,3): the account's `power_watts`: what its machines draw all
--     day, in watts (energy per day: power_watts * 24 / 1000 kWh); NULL when it gives
--     efficiency_j_per_th instead
-- column efficiency_j_per_th DECIMAL(18,3): the account's `efficiency_j_per_th`: joules per
--     terahash (energy per day: efficiency_j_per_th * hashrate TH/s * 86400 / 3,600,000 kWh);
--     NULL when it gives power_watts instead
select
    account,
    power_watts,
    efficiency_j_per_th
from {{ config('account_power') }}
