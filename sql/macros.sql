-- Expressions the models share, each declared once as a DuckDB macro. The runner creates them
-- in the warehouse before any model (with `{{ var(...) }}` filled in, as in a model); they are
-- persistent, saved in the published file, so its views work in any DuckDB client and anyone
-- can call them there (`pool_day` in the zone the warehouse was built for). No macro calls
-- another: DuckDB binds a macro's body where it is called, so from another database
-- (`attach ... as w`) `w.pool_day(...)` would not find a `pool_time` it called.

-- Text trimmed of whitespace at both ends (tabs and newlines too, which trim() keeps), '' as NULL.
-- A text whose first and last characters are above the space (a txid, an address) has none to
-- trim and skips the regular expression: 0.3 s over 10 years of 1,000 accounts.
create or replace macro trimmed_or_null(text) as
    nullif(
        case
            when ord(text[1]) > 32 and ord(text[-1]) > 32 then text
            else regexp_replace(text, '^\s+|\s+$', '', 'g')
        end,
        ''
    );

-- The pool's zone is read two ways with the same result: inside the span where it keeps one
-- UTC offset (the longest in 2009-2050 by the zone database, `zone_fixed_*`: all of it for
-- UTC and Asia/Shanghai; warehouse/zone_span.py) by adding the offset to the
-- instant's microseconds, elsewhere by ICU's zone conversion, which costs about a second per
-- 13 million snapshots.

-- An instant as the wall-clock time of the pool's zone (the config's `timezone`).
create or replace macro pool_time(instant) as
    case
        when instant >= cast({{ var('zone_fixed_from') }} as timestamptz)
            and instant < cast({{ var('zone_fixed_until') }} as timestamptz)
            then make_timestamp(
                epoch_us(instant) + cast({{ var('zone_fixed_offset_us') }} as bigint)
            )
        else timezone({{ var('timezone') }}, instant)
    end;

-- The pool-zone day an instant falls on.
create or replace macro pool_day(instant) as
    case
        when instant >= cast({{ var('zone_fixed_from') }} as timestamptz)
            and instant < cast({{ var('zone_fixed_until') }} as timestamptz)
            then cast(
                date '1970-01-01' + cast(
                    (epoch_us(instant) + cast({{ var('zone_fixed_offset_us') }} as bigint))
                    // 86400000000 as integer
                ) as date
            )
        else cast(timezone({{ var('timezone') }}, instant) as date)
    end;

-- The UTC day an instant falls on (a price's candle is a UTC day).
create or replace macro utc_day(instant) as
    cast(timezone('UTC', instant) as date);

-- Whether the pool-zone day `pool_date` had ended at `instant`: the instant's pool-zone day is
-- a later one.
create or replace macro pool_day_ended(pool_date, instant) as
    case
        when instant >= cast({{ var('zone_fixed_from') }} as timestamptz)
            and instant < cast({{ var('zone_fixed_until') }} as timestamptz)
            then (epoch_us(instant) + cast({{ var('zone_fixed_offset_us') }} as bigint))
                // 86400000000 > pool_date - date '1970-01-01'
        else timezone({{ var('timezone') }}, instant)
            >= cast(pool_date + interval 1 day as timestamp)
    end;

-- A sum of satoshi, as BIGINT: DuckDB sums BIGINT to HUGEINT, and money is BIGINT.
create or replace macro sum_sat(amount) as
    cast(sum(amount) as bigint);

-- The change from `previous_value` to `current_value` in percent; NULL when the previous is 0.
create or replace macro pct_change(current_value, previous_value) as
    (current_value / nullif(previous_value, 0) - 1) * 100;

-- The exact fiat value of `amount_sat` satoshi at `price`, the price of one whole coin:
-- amount_sat * price / 10^8 as DECIMAL(38,18), never rounded. A DECIMAL(38,10) price times the
-- DECIMAL(18,8) coins is exact at 18 places; NULL when the price is.
create or replace macro fiat_exact(amount_sat, price) as
    cast(amount_sat as decimal(18, 0)) * 0.00000001 * cast(price as decimal(38, 10));

-- A fiat amount to the cent, half away from zero (DuckDB's round() of a DECIMAL: 0.125 -> 0.13,
-- -0.125 -> -0.13), as DECIMAL(18,2): the one place a value is rounded.
create or replace macro to_cents(amount) as
    cast(round(amount, 2) as decimal(18, 2));

-- `amount_sat` satoshi at `price` (one whole coin's) to the cent, half away from zero: exactly
-- to_cents(fiat_exact(amount_sat, price)), faster. In double precision where that cannot round
-- the other way: the value below 10^9 cents, whose double carries an error below 4 * 10^-7 of
-- a cent, and more than 10^-6 of a cent from a half cent; else in exact decimals as fiat_exact
-- and to_cents are (a data test checks every value against the exact product). NULL when the
-- price is.
create or replace macro value_to_cents(amount_sat, price) as
    case
        when abs(amount_sat * cast(price as double) / 1e6) < 1e9
            and abs(abs(amount_sat * cast(price as double) / 1e6) % 1 - 0.5) > 1e-6
            then cast(
                cast(round(amount_sat * cast(price as double) / 1e6) as bigint) * 0.01
                as decimal(18, 2)
            )
        else cast(
            round(
                cast(amount_sat as decimal(18, 0)) * 0.00000001 * cast(price as decimal(38, 10)), 2
            ) as decimal(18, 2)
        )
    end;

-- What `hashrate_hs` earns in a day at PPS on the block subsidy alone (no fees), in satoshi, as
-- a DOUBLE: hashrate_hs * 86400 * subsidy_sat / (difficulty * 2^32); NULL without difficulty.
create or replace macro expected_pps(hashrate_hs, subsidy_sat, difficulty) as
    hashrate_hs * 86400 * subsidy_sat / nullif(difficulty * pow(2, 32), 0);

-- `amount` times a power of ten as an integer (HUGEINT): an exact decimal in whole units of
-- 1 / factor (cents: factor 100). Exact when amount has no more places than the factor has zeros.
create or replace macro scaled(amount, factor) as
    cast(cast(amount as decimal(38, 10)) * factor as hugeint);

-- numerator / denominator for integers, rounded half away from zero, exactly (DuckDB divides
-- decimals as DOUBLE), in the integers' own width (BIGINT: 2 * |numerator| must fit it; or
-- HUGEINT); NULL when the denominator is NULL or not above 0.
create or replace macro round_div(numerator, denominator) as
    case
        when denominator > 0
            then sign(numerator) * ((2 * abs(numerator) + denominator) // (2 * denominator))
    end;

-- quantity * unit_price (DECIMAL(18,6) each, such as kWh at a price per kWh) to the cent, exact:
-- in 64-bit decimals while the product is below 10^5 (their 6 whole digits), else in 128-bit.
create or replace macro cost_to_cents(quantity, unit_price) as
    case
        when cast(quantity as double) * cast(unit_price as double) < 100000
            then cast(round(quantity * unit_price, 2) as decimal(18, 2))
        else cast(round(cast(quantity as decimal(38, 6)) * unit_price, 2) as decimal(18, 2))
    end;
