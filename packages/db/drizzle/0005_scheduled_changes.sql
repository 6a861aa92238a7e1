CREATE TABLE `scheduled_changes` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`event_id` bigint unsigned NOT NULL,
	`apply_at` datetime(3) NOT NULL,
	`settings` varchar(255) NOT NULL,
	`state` enum('scheduled','applied','cancelled') NOT NULL DEFAULT 'scheduled',
	`applied_at` datetime(3),
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `scheduled_changes_id` PRIMARY KEY(`id`)
);
--> statement-breakpoint
CREATE INDEX `scheduled_changes_event_idx` ON `scheduled_changes` (`event_id`,`state`,`apply_at`);