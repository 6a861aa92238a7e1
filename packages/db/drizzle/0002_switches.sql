ALTER TABLE `coupon_events` ADD `paused` boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `coupon_events` ADD `queue_all` boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `coupon_events` ADD `entry_closed` boolean DEFAULT false NOT NULL;