-- earnings_btc is exactly earnings_sat / 10^8, to the satoshi.
select account, coin, date, earnings_sat, earnings_btc
from daily_earnings
where cast(earnings_btc * 100000000 as bigint) != earnings_sat
