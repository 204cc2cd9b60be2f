CREATE TABLE "case_materials" (
	"case_ref" text NOT NULL,
	"position" integer NOT NULL,
	"requirement" text NOT NULL,
	"name" text NOT NULL,
	"media_type" text NOT NULL,
	"size" integer NOT NULL,
	"sha256" text NOT NULL,
	"content" "bytea" NOT NULL,
	CONSTRAINT "case_materials_case_ref_position_pk" PRIMARY KEY("case_ref","position")
);
--> statement-breakpoint
CREATE TABLE "cases" (
	"ref" text PRIMARY KEY NOT NULL,
	"role" text NOT NULL,
	"intake_member" text NOT NULL,
	"handling_member" text NOT NULL,
	"intake_case_id" text NOT NULL,
	"item_code" text NOT NULL,
	"mode" text NOT NULL,
	"step" text,
	"joint_id" text,
	"state" text NOT NULL,
	"applicant_kind" text NOT NULL,
	"applicant_name" text NOT NULL,
	"applicant_id_type" text NOT NULL,
	"applicant_id_sealed" text NOT NULL,
	"applicant_id_masked" text NOT NULL,
	"applicant_phone_sealed" text,
	"intake" jsonb NOT NULL,
	"form" jsonb,
	"delivery" jsonb NOT NULL,
	"consent" jsonb NOT NULL,
	"materials_digest" text NOT NULL,
	"receipt_id" text,
	"received_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "cases_transfer_uq" UNIQUE NULLS NOT DISTINCT("role","intake_member","intake_case_id","handling_member","step")
);
--> statement-breakpoint
CREATE INDEX "cases_state_idx" ON "cases" USING btree ("state");--> statement-breakpoint
CREATE INDEX "cases_item_idx" ON "cases" USING btree ("item_code");