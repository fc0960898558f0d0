//! async-playground: async sources and aggregators on the browser's event loop.
//!
//! See `ARCHITECTURE.md` for the code map. Data flows once, top to bottom:
//! [`lang`] text → [`program::Program`] → [`run`] (over a [`clock`], pulling
//! [`source`] streams into [`aggregate`]s) → [`trace`] report → `web` (JS).

pub mod aggregate;
pub mod budget;
pub mod clock;
pub mod display;
pub mod distribution;
pub mod examples;
mod fan_out_shape;
pub mod float_text;
pub mod json;
pub mod lang;
pub mod limits;
pub mod program;
pub mod replay;
pub mod run;
pub mod schema;
pub mod source;
mod suggest;
pub mod trace;
pub mod url;
#[cfg(all(target_arch = "wasm32", any(feature = "web", feature = "studio")))]
pub mod web;

/// The README's Rust blocks, compiled and run as doc-tests so they stay true.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
