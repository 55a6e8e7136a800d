-- The file of the finding behind a scan issue, so that a later scan that analysed the file again and no
-- longer finds the finding can close the issue. Null for inline comments and for issues recorded before.
ALTER TABLE posted_finding ADD COLUMN path text;
