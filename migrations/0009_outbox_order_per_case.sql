DROP INDEX "outbox_messages_case_idx";--> statement-breakpoint
ALTER TABLE "outbox_messages" ADD COLUMN "seq" bigserial NOT NULL;--> statement-breakpoint
CREATE INDEX "outbox_messages_case_idx" ON "outbox_messages" USING btree ("case_ref","seq");