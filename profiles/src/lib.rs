//! What a subscription URL serves, per client app.
//!
//! The shop keeps each client's access as the VLESS share links the gateway built the way 3x-ui
//! does. [`Endpoint::parse`] reads a link back; [`render`] writes a list of endpoints in the
//! format an app reads ([`Format`], chosen from its User-Agent by a table or named in
//! `?format=`); [`userinfo`] writes the headers apps read beside it. Pure functions: the shop's
//! HTTP listener does the lookups and the I/O.

pub mod endpoint;
pub mod format;
pub mod render;
pub mod userinfo;

pub use endpoint::{Endpoint, LinkError, Security, Transport};
pub use format::{Format, USER_AGENTS};
pub use render::{ProfileMeta, Rendered, render};
