-- The cluster runs on Orleans now: membership lives in the Orleans clustering tables (orleans_membership*),
-- so the tables of the earlier in-project membership protocol (0002) go.
drop table if exists silo_membership;
drop table if exists silo_membership_version;
