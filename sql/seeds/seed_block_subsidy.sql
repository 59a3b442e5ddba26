-- One row per (coin, start_date): the block subsidy, in satoshi, from that UTC day until the
-- coin's next start_date; the halving day itself takes the new subsidy (every halving block was
-- mined during that UTC day).
--
-- BTC: blocks 210,000 / 420,000 / 630,000 / 840,000 on 2012-11-28, 2016-07-09, 2020-05-11 and
--   2024-04-20.
-- BCH: shares BTC's history up to its fork (2017-08-01, block 478,559), then halves on its own:
--   block 630,000 on 2020-04-08 (about 15:00 UTC; CryptoGlobe, "All You Need to Know About
--   Bitcoin Cash's First Block Reward Halving", 2020-04-08) and block 840,000 on 2024-04-03
--   (10:45 UTC; Cointelegraph, "Bitcoin Cash completes second-ever halving", 2024-04-03). The
--   second is often quoted as "about 2024-04-04" from estimates made before it happened.
-- SBTC and UBTC: assumed to follow BTC's block heights, and so BTC's dates. Neither chain
--   published a schedule of its own that we could find; both forked from BTC in late 2017.
-- column coin VARCHAR: the coin the subsidy is for: BTC, BCH, SBTC or UBTC
-- column start_date DATE: the first UTC day this subsidy is in force (the genesis block's day,
--     2009-01-03, or a halving day); it holds until the day before the coin's next start_date
-- column subsidy_sat BIGINT: the new coins each block mints (its reward without transaction
--     fees), in satoshi of the coin: 5,000,000,000 (50 coins) at genesis, halved at each halving
select coin, start_date, subsidy_sat
from (
    values
        ('BTC', date '2009-01-03', 5000000000::bigint),
        ('BTC', date '2012-11-28', 2500000000::bigint),
        ('BTC', date '2016-07-09', 1250000000::bigint),
        ('BTC', date '2020-05-11', 625000000::bigint),
        ('BTC', date '2024-04-20', 312500000::bigint),
        ('BCH', date '2009-01-03', 5000000000::bigint),
        ('BCH', date '2012-11-28', 2500000000::bigint),
        ('BCH', date '2016-07-09', 1250000000::bigint),
        ('BCH', date '2020-04-08', 625000000::bigint),
        ('BCH', date '2024-04-03', 312500000::bigint),
        ('SBTC', date '2009-01-03', 5000000000::bigint),
        ('SBTC', date '2012-11-28', 2500000000::bigint),
        ('SBTC', date '2016-07-09', 1250000000::bigint),
        ('SBTC', date '2020-05-11', 625000000::bigint),
        ('SBTC', date '2024-04-20', 312500000::bigint),
        ('UBTC', date '2009-01-03', 5000000000::bigint),
        ('UBTC', date '2012-11-28', 2500000000::bigint),
        ('UBTC', date '2016-07-09', 1250000000::bigint),
        ('UBTC', date '2020-05-11', 625000000::bigint),
        ('UBTC', date '2024-04-20', 312500000::bigint)
) as subsidy (coin, start_date, subsidy_sat)
