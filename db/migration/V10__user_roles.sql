-- People get roles (viewer, deployer, admin), each a fixed set of scopes defined in the control
-- plane (user/Role.java); a user's authorities are the scopes of their roles, plus any scopes kept
-- from before roles existed.
--
-- roles:            the user's roles, a JSON array of role names.
-- scopes:           from now on only scopes a user had before roles and that no role stood for;
--                   setting a user's roles empties it.
-- created_by:       who made the user; before this migration only the bootstrap made users.
-- password_version: counts password changes; a console session signed in with an older
--                   password ends on its next request.
ALTER TABLE app_user ADD COLUMN roles jsonb NOT NULL DEFAULT '[]';
ALTER TABLE app_user ADD COLUMN created_by text NOT NULL DEFAULT 'system:bootstrap';
ALTER TABLE app_user ADD COLUMN password_version integer NOT NULL DEFAULT 1;

-- A user with the admin scope becomes an admin, which covers every other scope; everyone else keeps
-- their scopes as they are, so nobody gains or loses access.
UPDATE app_user SET roles = '["admin"]', scopes = '[]' WHERE scopes @> '["admin"]';

ALTER TABLE app_user ALTER COLUMN roles DROP DEFAULT;
ALTER TABLE app_user ALTER COLUMN created_by DROP DEFAULT;
