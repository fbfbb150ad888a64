//! The serenity Discord adapter of NebulaLinks.
//!
//! Empty on purpose: the bot issue fills it in. It will implement
//! [`nebula_engine::executor::DiscordEffects`] and drive [`nebula_engine::Shop`].
