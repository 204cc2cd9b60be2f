-- pg_trgm (a contrib extension of PostgreSQL, loaded explicitly into PGlite) for the case search indexes below.
CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
CREATE INDEX "cases_created_idx" ON "cases" USING btree ("created_at","ref");--> statement-breakpoint
CREATE INDEX "cases_name_trgm_idx" ON "cases" USING gin ("applicant_name" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "cases_case_id_trgm_idx" ON "cases" USING gin ("intake_case_id" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "cases_ref_trgm_idx" ON "cases" USING gin ("ref" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "cases_name_prefix_idx" ON "cases" USING btree ("applicant_name" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "cases_case_id_idx" ON "cases" USING btree ("intake_case_id");