-- Money is BIGINT satoshi (`*_sat`), DECIMAL(18,8) coins (`*_btc`), DECIMAL(18,2) fiat
-- (`*_value`) or a DECIMAL(38,10) price (`price_close`, a candle's `close`), never a float: no
-- DOUBLE or FLOAT column is named for a price, a value, a cost or a profit.
select table_name, column_name, data_type
from information_schema.columns
where
    table_schema = 'main'
    and table_name not like '\_%' escape '\'
    and (
        (column_name like '%\_sat' escape '\' and data_type != 'BIGINT')
        or (column_name like '%\_btc' escape '\' and data_type != 'DECIMAL(18,8)')
        or (column_name like '%\_value' escape '\' and data_type != 'DECIMAL(18,2)')
        or (column_name in ('price_close', 'close') and data_type != 'DECIMAL(38,10)')
        or (
            data_type in ('DOUBLE', 'FLOAT', 'REAL')
            and regexp_matches(column_name, 'price|value|cost|profit')
        )
    )
