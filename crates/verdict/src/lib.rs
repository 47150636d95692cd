//! Verdict's application layer: the [`pipeline`] that runs a document
//! through every stage (source → document → extract → judge → resolve →
//! store), [`web`] ingestion (pages by URL, followed feeds), the [`bulk`]
//! path that imports exports and catalogues a million rows at a time, and
//! what the server asks of the application ([`site`]). How stored films are
//! shown (JSON and text) is `verdict_present`'s.
//!
//! The binary (`src/main.rs`) is a thin command line over this library;
//! `verdict serve` (crate `verdict-web`) is another thin layer over the same
//! functions, which it reaches through [`site`].

pub mod bulk;
pub mod pipeline;
pub mod portable;
pub mod reader;
pub mod site;
pub mod web;
pub mod work;
