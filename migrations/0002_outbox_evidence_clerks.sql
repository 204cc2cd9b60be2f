CREATE TABLE "clerks" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"window" text NOT NULL,
	"role" text NOT NULL,
	"token_hash" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "clerks_tokenHash_unique" UNIQUE("token_hash")
);
--> statement-breakpoint
CREATE TABLE "evidence_records" (
	"seq" bigserial PRIMARY KEY NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"kind" text NOT NULL,
	"case_ref" text,
	"peer" text NOT NULL,
	"method" text NOT NULL,
	"path" text NOT NULL,
	"token" text NOT NULL,
	"body_digest" text NOT NULL,
	"body" text,
	"registry_seq" text,
	"prev_hash" text NOT NULL,
	"hash" text NOT NULL,
	CONSTRAINT "evidence_records_hash_unique" UNIQUE("hash")
);
--> statement-breakpoint
CREATE TABLE "outbox_messages" (
	"id" text PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"case_ref" text,
	"target_member" text NOT NULL,
	"method" text NOT NULL,
	"path" text NOT NULL,
	"body" "bytea" NOT NULL,
	"idempotency_key" text NOT NULL,
	"status" text NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone NOT NULL,
	"lease_until" timestamp with time zone,
	"last_status" integer,
	"last_error" text,
	"response_status" integer,
	"response_token" text,
	"response_body" "bytea",
	"created_at" timestamp with time zone NOT NULL,
	"delivered_at" timestamp with time zone,
	"dead_at" timestamp with time zone
);
--> statement-breakpoint
CREATE INDEX "clerks_window_idx" ON "clerks" USING btree ("window");--> statement-breakpoint
CREATE INDEX "evidence_records_case_idx" ON "evidence_records" USING btree ("case_ref");--> statement-breakpoint
CREATE INDEX "outbox_messages_due_idx" ON "outbox_messages" USING btree ("status","next_attempt_at");--> statement-breakpoint
CREATE INDEX "outbox_messages_case_idx" ON "outbox_messages" USING btree ("case_ref");--> statement-breakpoint
CREATE INDEX "outbox_messages_target_idx" ON "outbox_messages" USING btree ("target_member","status");