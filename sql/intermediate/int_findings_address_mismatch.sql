-- Finding `address_mismatch`: a payout paid to an address the account's info never reported,
-- judged per address its rows name (a payout whose days disagree is judged for each); an
-- account with no info snapshot is not judged.
with

rows as (
    select * from int_earn_history
),

account_info as (
    select * from stg_account_info
),

known_addresses as (
    select distinct account, coin, payout_address as address
    from account_info
    where payout_address is not null
),

payout_addresses as (
    select
        account,
        coin,
        payment_tx,
        payout_address as address,
        max(date) as last_date,
        sum_sat(paid_amount_sat) as paid_sat
    from rows
    where payment_tx is not null and payout_address is not null
    group by account, coin, payment_tx, payout_address
),

final as (
    select
        p.account,
        p.coin,
        p.last_date as date,
        p.payment_tx,
        'address_mismatch' as kind,
        cast(null as bigint) as expected_sat,
        p.paid_sat as actual_sat,
        'paid to ' || p.address || ', not an address the account ever reported' as detail
    from payout_addresses as p
    where
        p.address is not null
        and exists (
            select 1 from known_addresses as k where k.account = p.account and k.coin = p.coin
        )
        and not exists (
            select 1
            from known_addresses as k
            where k.account = p.account and k.coin = p.coin and k.address = p.address
        )
)

select * from final
