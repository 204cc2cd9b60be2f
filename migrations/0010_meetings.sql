CREATE TABLE "livekit_webhook_events" (
	"event_id" text PRIMARY KEY NOT NULL,
	"meeting_id" text,
	"event" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"received_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "meeting_invitations" (
	"id" text PRIMARY KEY NOT NULL,
	"from_member" text NOT NULL,
	"meeting_id" text NOT NULL,
	"case_ref" text,
	"item_code" text,
	"url" text NOT NULL,
	"room" text NOT NULL,
	"token_sealed" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"invitee" jsonb NOT NULL,
	"status" text NOT NULL,
	"taken_by" text,
	"taken_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "meeting_invitations_uq" UNIQUE("from_member","meeting_id")
);
--> statement-breakpoint
CREATE TABLE "meeting_participants" (
	"meeting_id" text NOT NULL,
	"identity" text NOT NULL,
	"role" text NOT NULL,
	"member" text NOT NULL,
	"display_name" text NOT NULL,
	"status" text NOT NULL,
	"consent_at" timestamp with time zone,
	"token_issued_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "meeting_participants_meeting_id_identity_pk" PRIMARY KEY("meeting_id","identity")
);
--> statement-breakpoint
CREATE TABLE "meetings" (
	"id" text PRIMARY KEY NOT NULL,
	"case_ref" text NOT NULL,
	"room" text NOT NULL,
	"status" text NOT NULL,
	"created_by" text NOT NULL,
	"members" jsonb NOT NULL,
	"max_duration_seconds" integer NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"warn_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"warned_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"close_reason" text,
	"recording_status" text DEFAULT 'none' NOT NULL,
	"egress_id" text,
	"recording" jsonb,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "meetings_room_unique" UNIQUE("room")
);
--> statement-breakpoint
CREATE INDEX "meeting_invitations_case_idx" ON "meeting_invitations" USING btree ("case_ref");--> statement-breakpoint
CREATE INDEX "meetings_case_idx" ON "meetings" USING btree ("case_ref");--> statement-breakpoint
CREATE INDEX "meetings_open_idx" ON "meetings" USING btree ("status","ends_at");