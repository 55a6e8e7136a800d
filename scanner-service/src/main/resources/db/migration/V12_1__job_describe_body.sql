-- /drep describe: the job writes the walkthrough into the pull request's description (issue 17, item 1)
ALTER TABLE job ADD COLUMN describe_body boolean NOT NULL DEFAULT false;
