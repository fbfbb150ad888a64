//! The serenity adapter: events in, engine commands out, effects carried out.

pub mod access;
pub mod chart;
pub mod commands;
pub mod effects;
pub mod errors;
pub mod handler;
pub mod ids;
pub mod invite;
pub mod qr;
pub mod render;
pub mod reply;
