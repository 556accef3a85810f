INSERT INTO orders(item, amount) VALUES ('book', 2), ('pen', 10);
