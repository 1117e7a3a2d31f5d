//! The integration tests, one module per area, built as one test binary: two dozen binaries that
//! each link egui, wgpu and the whole app took gigabytes of disk and most of the build's link time.
//! Run one area with `cargo test --test all report::` (module paths are the file names here).

mod common;
mod support;

mod adversarial;
mod align;
mod alignment_quality;
mod app;
mod app_carry;
mod app_cascade;
mod app_learning;
mod app_pairing;
mod app_paste;
mod app_review;
mod app_small_screens;
mod app_work;
mod bundled_plans;
mod cli;
mod crash_safety;
mod ingest_formats;
mod journal_kill;
mod metadata;
mod no_panic;
mod real_binary_kill;
mod report;
mod report_docx;
mod report_hostile;
mod seeds;
