//! Identity documents (KTP, SIM, paspor, lainnya): validation and masking. Numbers are
//! personal data (UU PDP 27/2022): validated here, encrypted by the store, shown masked.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdType {
    Ktp,
    Sim,
    Paspor,
    Lainnya,
}

impl IdType {
    /// From the wire enum value (0 = unspecified is not a type).
    pub fn from_i32(v: i32) -> Option<Self> {
        match v {
            1 => Some(Self::Ktp),
            2 => Some(Self::Sim),
            3 => Some(Self::Paspor),
            4 => Some(Self::Lainnya),
            _ => None,
        }
    }

    pub fn as_i32(self) -> i32 {
        match self {
            Self::Ktp => 1,
            Self::Sim => 2,
            Self::Paspor => 3,
            Self::Lainnya => 4,
        }
    }
}

/// A validated identity-document number.
#[derive(Clone, PartialEq, Eq)]
pub struct IdNumber(String);

impl std::fmt::Debug for IdNumber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "IdNumber({})", self.masked())
    }
}

impl IdNumber {
    pub fn parse(id_type: IdType, raw: &str) -> Result<Self, String> {
        let v: String = raw.chars().filter(|c| !c.is_whitespace()).collect();
        match id_type {
            IdType::Ktp => {
                if v.len() == 16 && v.bytes().all(|b| b.is_ascii_digit()) {
                    Ok(Self(v))
                } else {
                    Err("NIK pada KTP harus tepat 16 digit angka.".to_owned())
                }
            }
            IdType::Sim | IdType::Paspor | IdType::Lainnya => {
                if (5..=32).contains(&v.len())
                    && v.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
                {
                    Ok(Self(v.to_ascii_uppercase()))
                } else {
                    Err("Nomor identitas harus 5-32 karakter huruf/angka.".to_owned())
                }
            }
        }
    }

    pub fn expose(&self) -> &str {
        &self.0
    }

    /// First and last four kept, the rest starred: `35**********0001`.
    pub fn masked(&self) -> String {
        mask(&self.0)
    }
}

pub fn mask(v: &str) -> String {
    let chars: Vec<char> = v.chars().collect();
    let n = chars.len();
    if n <= 8 {
        let keep = n.min(2);
        return chars[..keep].iter().collect::<String>() + &"*".repeat(n - keep);
    }
    chars[..2].iter().collect::<String>()
        + &"*".repeat(n - 6)
        + &chars[n - 4..].iter().collect::<String>()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ktp_needs_exactly_sixteen_digits() {
        assert!(IdNumber::parse(IdType::Ktp, "3573010101010001").is_ok());
        assert!(IdNumber::parse(IdType::Ktp, "357301010101000").is_err());
        assert!(IdNumber::parse(IdType::Ktp, "35730101010100011").is_err());
        assert!(IdNumber::parse(IdType::Ktp, "35730101O1010001").is_err());
    }

    #[test]
    fn numbers_are_masked_in_the_middle() {
        let nik = IdNumber::parse(IdType::Ktp, "3573010101010001").expect("valid");
        assert_eq!(nik.masked(), "35**********0001");
        assert_eq!(format!("{nik:?}"), "IdNumber(35**********0001)");
        assert_eq!(mask("A12345"), "A1****");
        assert_eq!(
            mask("X1234567"),
            "X1******",
            "eight or fewer: the first two only"
        );
        assert_eq!(mask("AB1234567"), "AB***4567");
    }
}
