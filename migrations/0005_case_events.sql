CREATE TABLE "case_events" (
	"id" text PRIMARY KEY NOT NULL,
	"case_ref" text NOT NULL,
	"event_id" text NOT NULL,
	"type" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"note" text,
	"data" jsonb,
	"side" text NOT NULL,
	"sender" text NOT NULL,
	"content_hash" text NOT NULL,
	"status_after" text NOT NULL,
	"recorded_at" timestamp with time zone NOT NULL,
	CONSTRAINT "case_events_event_uq" UNIQUE("case_ref","event_id")
);
--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "state_detail" jsonb;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "remote_ref" text;--> statement-breakpoint
CREATE INDEX "case_events_case_idx" ON "case_events" USING btree ("case_ref","recorded_at");