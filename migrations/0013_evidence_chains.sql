ALTER TABLE "evidence_records" ADD COLUMN "chain" text DEFAULT '' NOT NULL;--> statement-breakpoint
CREATE INDEX "evidence_records_chain_idx" ON "evidence_records" USING btree ("chain","seq");