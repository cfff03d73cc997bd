-- An order's public reference: random, shown to the visitor and in the link of
-- its confirmation page, so no order can be found by counting (the id is
-- sequential). Orders placed before get one now.
ALTER TABLE orders ADD COLUMN reference TEXT;
UPDATE orders SET reference = upper(hex(randomblob(8))) WHERE reference IS NULL;
CREATE UNIQUE INDEX orders_by_reference ON orders (reference);
