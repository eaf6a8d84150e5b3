"""RQ jobs and their scheduling. Imported as helpline.queue, never as a top-level ``queue``."""
