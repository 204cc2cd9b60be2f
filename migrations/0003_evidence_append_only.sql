-- The evidence log is append-only: a record, once written, is never changed or removed.
CREATE OR REPLACE FUNCTION evidence_records_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'evidence_records is append-only (% refused)', TG_OP;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER evidence_records_no_update_delete
  BEFORE UPDATE OR DELETE ON evidence_records
  FOR EACH ROW EXECUTE FUNCTION evidence_records_append_only();
--> statement-breakpoint
CREATE TRIGGER evidence_records_no_truncate
  BEFORE TRUNCATE ON evidence_records
  FOR EACH STATEMENT EXECUTE FUNCTION evidence_records_append_only();
