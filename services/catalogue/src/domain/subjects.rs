//! BPS subjects live in the shared kit (the gateway's forms list them too).

pub use pst_kit::subjects::*;
