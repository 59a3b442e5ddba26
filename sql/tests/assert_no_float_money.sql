-- Money is BIGINT satoshi (`*_sat`) or DECIMAL(18,8) coins (`*_btc`), never a float.
select table_name, column_name, data_type
from information_schema.columns
where
    table_schema = 'main'
    and table_name not like '\_%' escape '\'
    and (
        (column_name like '%\_sat' escape '\' and data_type != 'BIGINT')
        or (column_name like '%\_btc' escape '\' and data_type != 'DECIMAL(18,8)')
    )
