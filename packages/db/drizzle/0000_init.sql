CREATE TABLE `coupon_events` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`name` varchar(200) NOT NULL,
	`stock` int unsigned NOT NULL,
	`starts_at` datetime(3) NOT NULL,
	`ends_at` datetime(3) NOT NULL,
	`rpm_threshold` int unsigned,
	`running_capacity` int unsigned NOT NULL,
	`admit_per_tick` int unsigned NOT NULL,
	`admission_ttl_seconds` int unsigned NOT NULL,
	`idle_timeout_seconds` int unsigned NOT NULL,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `coupon_events_id` PRIMARY KEY(`id`)
);
--> statement-breakpoint
CREATE TABLE `coupon_issuances` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`event_id` bigint unsigned NOT NULL,
	`user_id` varchar(64) COLLATE utf8mb4_bin NOT NULL,
	`coupon_id` varchar(40) NOT NULL,
	`issued_at` datetime(3) NOT NULL,
	`persisted_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `coupon_issuances_id` PRIMARY KEY(`id`),
	CONSTRAINT `coupon_issuances_event_user_uq` UNIQUE(`event_id`,`user_id`)
);
--> statement-breakpoint
CREATE INDEX `coupon_events_ends_at_idx` ON `coupon_events` (`ends_at`);--> statement-breakpoint
CREATE INDEX `coupon_issuances_user_idx` ON `coupon_issuances` (`user_id`);