CREATE TABLE "case_shipments" (
	"id" text PRIMARY KEY NOT NULL,
	"case_ref" text NOT NULL,
	"direction" text NOT NULL,
	"carrier" text NOT NULL,
	"tracking_no" text NOT NULL,
	"status" text NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "shipment_events" (
	"id" text PRIMARY KEY NOT NULL,
	"shipment_id" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"status" text NOT NULL,
	"location" text,
	"note" text,
	"recorded_by" text NOT NULL,
	"recorded_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "cases" ALTER COLUMN "handling_member" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "cases" ALTER COLUMN "materials_digest" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "parent_ref" text;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "joint_plan" jsonb;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "partner_ref" text;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "partner_state" text;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "partner_next_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "partner_attempts" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "partner_error" text;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "hop_started_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "hop_due_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "deadline_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "pauses" jsonb;--> statement-breakpoint
CREATE INDEX "case_shipments_case_idx" ON "case_shipments" USING btree ("case_ref");--> statement-breakpoint
CREATE INDEX "shipment_events_shipment_idx" ON "shipment_events" USING btree ("shipment_id","at");--> statement-breakpoint
CREATE INDEX "cases_partner_due_idx" ON "cases" USING btree ("partner_next_at");--> statement-breakpoint
CREATE INDEX "cases_hop_due_idx" ON "cases" USING btree ("hop_due_at");--> statement-breakpoint
CREATE INDEX "cases_parent_idx" ON "cases" USING btree ("parent_ref");--> statement-breakpoint
UPDATE "cases" SET "handling_member" = NULL WHERE "handling_member" = '';--> statement-breakpoint
UPDATE "cases" SET "materials_digest" = NULL WHERE "materials_digest" = '';
