CREATE TABLE `admission_log` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`event_id` bigint unsigned NOT NULL,
	`stream_ms` bigint unsigned NOT NULL,
	`stream_seq` bigint unsigned NOT NULL,
	`kind` varchar(8) NOT NULL,
	`user_id` varchar(64) NOT NULL,
	`seq` bigint unsigned,
	`at` datetime(3) NOT NULL,
	`mode` varchar(16),
	CONSTRAINT `admission_log_id` PRIMARY KEY(`id`),
	CONSTRAINT `admission_log_event_stream_uq` UNIQUE(`event_id`,`stream_ms`,`stream_seq`)
);
--> statement-breakpoint
CREATE INDEX `admission_log_event_seq_idx` ON `admission_log` (`event_id`,`seq`);