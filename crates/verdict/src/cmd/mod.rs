//! One module per subcommand: its arguments and what it does; and what
//! they share: the output's conventions ([`out`]) and how the database is
//! opened ([`db`]).

#[macro_use]
pub mod out;
pub mod db;

pub mod catalog;
pub mod choose;
pub mod export;
pub mod extract;
pub mod films;
pub mod follow;
pub mod import;
pub mod ingest;
pub mod judge;
pub mod rating;
pub mod remove;
pub mod serve;
pub mod sync;
pub mod work;
