//! The gRPC contracts of PST Pustaka (`pst.*.v1`), generated once here and shared by every
//! service, the gateway and the tests. Nothing else runs code generation; this crate holds
//! no logic beyond the generated code.

pub use prost;
pub use tonic;

/// Serialized `FileDescriptorSet` of every contract, for gRPC reflection.
pub const FILE_DESCRIPTOR_SET: &[u8] = tonic::include_file_descriptor_set!("pst_descriptor");

pub mod pst {
    pub mod common {
        pub mod v1 {
            tonic::include_proto!("pst.common.v1");
        }
    }
    pub mod identity {
        pub mod v1 {
            tonic::include_proto!("pst.identity.v1");
        }
    }
    pub mod visit {
        pub mod v1 {
            tonic::include_proto!("pst.visit.v1");
        }
    }
    pub mod feedback {
        pub mod v1 {
            tonic::include_proto!("pst.feedback.v1");
        }
    }
    pub mod catalogue {
        pub mod v1 {
            tonic::include_proto!("pst.catalogue.v1");
        }
    }
    pub mod watermark {
        pub mod v1 {
            tonic::include_proto!("pst.watermark.v1");
        }
    }
}

pub use pst::catalogue::v1 as catalogue;
pub use pst::common::v1 as common;
pub use pst::feedback::v1 as feedback;
pub use pst::identity::v1 as identity;
pub use pst::visit::v1 as visit;
pub use pst::watermark::v1 as watermark;
