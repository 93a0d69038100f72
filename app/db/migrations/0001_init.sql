-- The demo app's data. Applied by `npm run dev` (local) and by the tests.

-- Signed-in sessions: the KV session holds the id of a row here; signing out deletes it
-- (the SolidStart seed's logoutAction).
CREATE TABLE sessions (
  id TEXT PRIMARY KEY,
  user_name TEXT NOT NULL,
  created_at INTEGER NOT NULL
);

CREATE TABLE products (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  price_cents INTEGER NOT NULL
);

CREATE TABLE posts (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  title TEXT NOT NULL,
  content TEXT NOT NULL,
  author TEXT NOT NULL,
  created_at INTEGER NOT NULL
);

-- Counters for the like button and the view counter (the Next.js seed's event handler and effect).
CREATE TABLE counters (
  name TEXT PRIMARY KEY,
  value INTEGER NOT NULL
);

INSERT INTO products (id, name, price_cents) VALUES
  (1, 'Trail Runner', 12900),
  (2, 'Rain Shell', 18900),
  (3, 'Summit Pack', 9900);

INSERT INTO counters (name, value) VALUES ('likes', 0), ('views', 0);
