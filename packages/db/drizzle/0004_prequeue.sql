ALTER TABLE `coupon_events` ADD `prequeue` enum('fifo','shuffle') DEFAULT 'fifo' NOT NULL;--> statement-breakpoint
ALTER TABLE `coupon_events` ADD `prequeue_seed` char(64);