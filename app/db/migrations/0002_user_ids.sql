-- Users get an id, and what a user owns points at that id instead of at a display name.
-- Before this, `posts.author` was the name typed at sign-in, so anyone signing in under the
-- same name could delete that person's posts.

-- One row per sign-in. The demo has no passwords: a sign-in makes a new identity with a fresh
-- random id, and two people (or one person twice) under the same name are different users.
CREATE TABLE users (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  created_at INTEGER NOT NULL
);

-- The user a login belongs to. NULL in rows written before this migration (they name no
-- user); the app treats those as signed out.
ALTER TABLE sessions ADD COLUMN user_id TEXT REFERENCES users (id);

-- Who wrote a post. `author` stays the name shown with the post; `author_id` decides who may
-- delete it. Posts written before this migration have no author id: nobody can delete them.
ALTER TABLE posts ADD COLUMN author_id TEXT REFERENCES users (id);

-- The old columns stay (`sessions.user_name`, `posts.author`, both NOT NULL), so a Worker
-- still running the previous code keeps working until the new one is deployed.

-- Logins from before this migration have no user: end them, so those visitors sign in again.
DELETE FROM sessions WHERE user_id IS NULL;
