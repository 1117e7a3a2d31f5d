//! PlanAlign: compare Chinese government plans measure by measure.
//!
//! The crate is a pipeline with a thin binary on top:
//! - [`ingest`] turns file bytes into text (encodings, size and binary checks);
//! - [`parse`] turns raw plan text into a validated [`model::Plan`]: page chrome dropped, the
//!   numbered outline nested, broken lines joined, metadata, agencies and targets extracted;
//! - [`gazetteer`] is China's administrative divisions (codes, names, short forms, parents),
//!   which the parser and [`model::Jurisdiction`] use for places;
//! - [`persist`] stores plans as versioned RON; [`workspace`] is the analyst's saved work and
//!   [`journal`] makes each edit durable the moment it is applied;
//! - [`themes`] is the codebook and auto-tagging; [`align`] the matcher, explanations, diff,
//!   coverage and batch; [`report`] the writers;
//! - [`cli`] is the command line, [`app`] the desktop app.
//!
//! The core never imports a UI toolkit; the app reads the core's data and sends commands.

pub mod align;
pub mod app;
pub mod cli;
pub mod gazetteer;
pub mod ingest;
pub mod journal;
pub mod library;
pub mod model;
pub mod parse;
pub mod persist;
pub mod report;
pub mod themes;
pub mod workspace;
