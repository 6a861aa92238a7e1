CREATE TABLE `admin_audit` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`token` varchar(64),
	`operator` varchar(64),
	`action` varchar(200) NOT NULL,
	`target` varchar(500) NOT NULL,
	`params` mediumtext,
	`before` mediumtext,
	`after` mediumtext,
	`status` smallint unsigned NOT NULL,
	`request_id` varchar(64) NOT NULL,
	`source` varchar(16) NOT NULL,
	CONSTRAINT `admin_audit_id` PRIMARY KEY(`id`)
);
--> statement-breakpoint
CREATE TABLE `admin_tokens` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`name` varchar(64) NOT NULL,
	`token_hash` char(64) NOT NULL,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`created_by` varchar(140) NOT NULL,
	`last_used_at` datetime(3),
	`revoked_at` datetime(3),
	`revoked_by` varchar(140),
	CONSTRAINT `admin_tokens_id` PRIMARY KEY(`id`),
	CONSTRAINT `admin_tokens_name_uq` UNIQUE(`name`),
	CONSTRAINT `admin_tokens_hash_uq` UNIQUE(`token_hash`)
);
--> statement-breakpoint
CREATE INDEX `admin_audit_at_idx` ON `admin_audit` (`at`);--> statement-breakpoint
CREATE INDEX `admin_audit_token_idx` ON `admin_audit` (`token`);--> statement-breakpoint
CREATE INDEX `admin_audit_operator_idx` ON `admin_audit` (`operator`);