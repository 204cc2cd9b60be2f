CREATE TABLE "complaint_events" (
	"id" text PRIMARY KEY NOT NULL,
	"complaint_id" text NOT NULL,
	"type" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"actor" text NOT NULL,
	"level" integer
);
--> statement-breakpoint
CREATE TABLE "complaints" (
	"id" text PRIMARY KEY NOT NULL,
	"channel" text NOT NULL,
	"category" text NOT NULL,
	"subject" text NOT NULL,
	"content_sealed" text NOT NULL,
	"complainant_name" text,
	"complainant_phone_sealed" text,
	"case_ref" text,
	"window_id" text,
	"state" text NOT NULL,
	"received_at" timestamp with time zone NOT NULL,
	"reply_due_at" timestamp with time zone NOT NULL,
	"escalation_level" integer DEFAULT 0 NOT NULL,
	"escalated_at" timestamp with time zone,
	"next_escalation_at" timestamp with time zone,
	"replied_at" timestamp with time zone,
	"reply_sealed" text,
	"closed_at" timestamp with time zone,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "evaluation_followups" (
	"evaluation_id" text PRIMARY KEY NOT NULL,
	"state" text NOT NULL,
	"callback_due_at" timestamp with time zone NOT NULL,
	"remedy_due_at" timestamp with time zone NOT NULL,
	"called_back_at" timestamp with time zone,
	"called_back_by" text,
	"callback_note" text,
	"remedied_at" timestamp with time zone,
	"remedied_by" text,
	"remedy_note" text,
	"closed_at" timestamp with time zone,
	"closed_by" text,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "evaluations" (
	"id" text PRIMARY KEY NOT NULL,
	"case_ref" text NOT NULL,
	"stage" text NOT NULL,
	"score" integer NOT NULL,
	"channel" text NOT NULL,
	"comment_sealed" text,
	"origin" text NOT NULL,
	"recorded_by" text,
	"at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "evaluations_case_stage_uq" UNIQUE("case_ref","stage")
);
--> statement-breakpoint
CREATE INDEX "complaint_events_complaint_idx" ON "complaint_events" USING btree ("complaint_id","at");--> statement-breakpoint
CREATE INDEX "complaints_state_idx" ON "complaints" USING btree ("state");--> statement-breakpoint
CREATE INDEX "complaints_escalation_idx" ON "complaints" USING btree ("next_escalation_at");--> statement-breakpoint
CREATE INDEX "complaints_received_idx" ON "complaints" USING btree ("received_at");--> statement-breakpoint
CREATE INDEX "evaluation_followups_state_idx" ON "evaluation_followups" USING btree ("state");--> statement-breakpoint
CREATE INDEX "evaluations_at_idx" ON "evaluations" USING btree ("at");