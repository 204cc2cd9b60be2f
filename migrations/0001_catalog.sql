CREATE TABLE "catalog_items" (
	"version_id" bigint NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"department" text NOT NULL,
	"item_type" text NOT NULL,
	"data" jsonb NOT NULL,
	CONSTRAINT "catalog_items_version_code_key" UNIQUE("version_id","code")
);
--> statement-breakpoint
CREATE TABLE "catalog_versions" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "catalog_versions_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"label" text NOT NULL,
	"effective_from" date NOT NULL,
	"imported_at" timestamp with time zone NOT NULL,
	"source_file" text NOT NULL,
	"item_count" integer NOT NULL,
	"source_sha256" text NOT NULL
);
--> statement-breakpoint
ALTER TABLE "catalog_items" ADD CONSTRAINT "catalog_items_version_id_catalog_versions_id_fk" FOREIGN KEY ("version_id") REFERENCES "public"."catalog_versions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "catalog_versions_effective_from_idx" ON "catalog_versions" USING btree ("effective_from","id");