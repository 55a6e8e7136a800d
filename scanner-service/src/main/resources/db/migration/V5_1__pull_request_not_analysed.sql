-- Files the last finished review of a pull request could not analyse (JSON array of paths, null for none): the
-- next push analyses them again even when they did not change, so "not analysed" is never carried over as if
-- the file had been reviewed (issue 14).
ALTER TABLE pull_request_review ADD COLUMN not_analysed text;
