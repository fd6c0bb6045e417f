-- The API token that submitted a job: a token with role "submit" sees and cancels only its own jobs.
ALTER TABLE jobs ADD COLUMN owner TEXT;
CREATE INDEX jobs_owner_id ON jobs (owner, id) WHERE owner IS NOT NULL;
