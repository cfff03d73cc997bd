-- The cart an order was placed from, for a visitor without an account: a random
-- key the session gives its cart at checkout. The order is written before the
-- cart is emptied, and the key is unique, so the same cart is never ordered twice
-- (a double click, or a retry after a failure to empty it). Null for an account's
-- orders, whose checkout is one transaction.
ALTER TABLE orders ADD COLUMN cart_key TEXT;
CREATE UNIQUE INDEX orders_by_cart_key ON orders (cart_key);
