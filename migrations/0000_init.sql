CREATE TABLE "idempotency_keys" (
	"iss" text NOT NULL,
	"key" text NOT NULL,
	"method" text NOT NULL,
	"path" text NOT NULL,
	"body_digest" text NOT NULL,
	"status" integer,
	"content_type" text,
	"response_body" "bytea",
	"created_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	CONSTRAINT "idempotency_keys_iss_key_pk" PRIMARY KEY("iss","key")
);
--> statement-breakpoint
CREATE TABLE "registry_snapshots" (
	"seq" bigint PRIMARY KEY NOT NULL,
	"token" text NOT NULL,
	"issued_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"accepted_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "replay_guard" (
	"iss" text NOT NULL,
	"jti" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	CONSTRAINT "replay_guard_iss_jti_pk" PRIMARY KEY("iss","jti")
);
--> statement-breakpoint
CREATE INDEX "idempotency_keys_expires_at_idx" ON "idempotency_keys" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "replay_guard_expires_at_idx" ON "replay_guard" USING btree ("expires_at");