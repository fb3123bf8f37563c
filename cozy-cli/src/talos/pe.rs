//! PE/COFF headers of kernels and UKIs: the `Machine` field and the section table (spec 5.4, 5.5).
//!
//! Pure: works on a byte slice and never panics on hostile input; every error names the field
//! and the offset it expected. Only what cozy checks is read: the DOS stub's `e_lfanew`, the
//! `PE\0\0` signature, the COFF file header and the section headers. Two markers are recorded as
//! supporting evidence: the x86 boot protocol's `HdrS` at 0x202 and the arm64 EFI zboot `zimg`
//! at offset 4.

use anyhow::{Context as _, bail};

/// COFF `Machine` of x86-64 images.
pub const MACHINE_AMD64: u16 = 0x8664;
/// COFF `Machine` of AArch64 images.
pub const MACHINE_ARM64: u16 = 0xaa64;

/// Where `e_lfanew`, the file offset of the PE signature, sits in the DOS header.
const E_LFANEW: usize = 0x3c;
const COFF_HEADER_LEN: usize = 20;
const SECTION_HEADER_LEN: usize = 40;

/// One entry of the section table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Section {
    /// The name, NUL padding removed (`.linux`, `.initrd`).
    pub name: String,
    /// `PointerToRawData`: where the section's bytes start in the file.
    pub offset: usize,
    /// `VirtualSize` when it is non-zero and not larger than `SizeOfRawData` (the raw data is
    /// padded to the file alignment), else `SizeOfRawData`.
    pub size: usize,
}

/// What cozy reads from a PE image.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PeImage {
    /// The COFF `Machine` field.
    pub machine: u16,
    /// The section table, in file order. Invariant: every `offset + size` lies inside the file.
    pub sections: Vec<Section>,
    /// `HdrS` at 0x202: the x86 boot protocol header of a `bzImage`.
    pub x86_boot_header: bool,
    /// `zimg` at offset 4: an EFI zboot image (arm64 `vmlinuz.efi`).
    pub zboot: bool,
}

/// Parses the headers of a PE image.
pub fn parse(bytes: &[u8]) -> anyhow::Result<PeImage> {
    if bytes.get(..2) != Some(b"MZ") {
        bail!("not a PE image: expected `MZ` at offset 0, found {}", describe(bytes.get(..2)));
    }
    let pe_offset = usize::try_from(read_u32(bytes, E_LFANEW).context("DOS header truncated")?)
        .context("`e_lfanew` does not fit in memory")?;
    if bytes.get(pe_offset..).and_then(|rest| rest.get(..4)) != Some(b"PE\0\0") {
        bail!(
            "not a PE image: expected `PE\\0\\0` at offset {pe_offset:#x} (from `e_lfanew` at 0x3c), found {}",
            describe(bytes.get(pe_offset..).and_then(|rest| rest.get(..4.min(rest.len()))))
        );
    }
    let coff = pe_offset + 4;
    let machine = read_u16(bytes, coff).context("COFF header truncated")?;
    let section_count = read_u16(bytes, coff + 2).context("COFF header truncated")?;
    let optional_header_len = read_u16(bytes, coff + 16).context("COFF header truncated")?;
    let table = coff + COFF_HEADER_LEN + usize::from(optional_header_len);
    let mut sections = Vec::with_capacity(usize::from(section_count));
    for index in 0..usize::from(section_count) {
        let at = table + index * SECTION_HEADER_LEN;
        sections.push(
            section_header(bytes, at)
                .with_context(|| format!("section header {index} at offset {at:#x}"))?,
        );
    }
    Ok(PeImage {
        machine,
        sections,
        x86_boot_header: bytes.get(0x202..0x206) == Some(b"HdrS"),
        zboot: bytes.get(4..8) == Some(b"zimg"),
    })
}

impl PeImage {
    /// The bytes of the first section called `name`, if there is one.
    #[must_use]
    pub fn section<'a>(&self, bytes: &'a [u8], name: &str) -> Option<&'a [u8]> {
        let section = self.sections.iter().find(|section| section.name == name)?;
        bytes.get(section.offset..section.offset.checked_add(section.size)?)
    }

    /// The Go/OCI architecture name of `machine`, if it is one cozy builds for.
    #[must_use]
    pub fn arch(&self) -> Option<&'static str> {
        match self.machine {
            MACHINE_AMD64 => Some("amd64"),
            MACHINE_ARM64 => Some("arm64"),
            _ => None,
        }
    }
}

fn section_header(bytes: &[u8], at: usize) -> anyhow::Result<Section> {
    let header = bytes
        .get(at..)
        .and_then(|rest| rest.get(..SECTION_HEADER_LEN))
        .with_context(|| format!("truncated: the file has {} bytes", bytes.len()))?;
    let raw_name = &header[..8];
    let name_len = raw_name.iter().position(|&byte| byte == 0).unwrap_or(8);
    let name = String::from_utf8_lossy(&raw_name[..name_len]).into_owned();
    let virtual_size = read_u32(header, 8)?;
    let raw_size = read_u32(header, 16)?;
    let raw_pointer = read_u32(header, 20)?;
    let size = if virtual_size != 0 && virtual_size <= raw_size { virtual_size } else { raw_size };
    let (offset, size) = (to_usize(raw_pointer)?, to_usize(size)?);
    match offset.checked_add(size) {
        Some(end) if end <= bytes.len() => Ok(Section { name, offset, size }),
        _ => bail!(
            "section `{name}`: data at offset {offset:#x} with size {size:#x} runs past the end of the file ({:#x} bytes)",
            bytes.len()
        ),
    }
}

fn read_u16(bytes: &[u8], at: usize) -> anyhow::Result<u16> {
    let field = bytes.get(at..at.saturating_add(2)).with_context(|| {
        format!("expected 2 bytes at offset {at:#x}, the data has {} bytes", bytes.len())
    })?;
    Ok(u16::from_le_bytes([field[0], field[1]]))
}

fn read_u32(bytes: &[u8], at: usize) -> anyhow::Result<u32> {
    let field = bytes.get(at..at.saturating_add(4)).with_context(|| {
        format!("expected 4 bytes at offset {at:#x}, the data has {} bytes", bytes.len())
    })?;
    Ok(u32::from_le_bytes([field[0], field[1], field[2], field[3]]))
}

fn to_usize(value: u32) -> anyhow::Result<usize> {
    usize::try_from(value).with_context(|| format!("{value:#x} does not fit in memory"))
}

/// Up to four bytes as text for error messages: printable ASCII in backticks, else hex.
fn describe(bytes: Option<&[u8]>) -> String {
    match bytes {
        None | Some([]) => "the end of the data".to_owned(),
        Some(bytes) if bytes.iter().all(u8::is_ascii_graphic) => {
            format!("`{}`", String::from_utf8_lossy(bytes))
        }
        Some(bytes) => {
            let hex: Vec<String> = bytes.iter().map(|byte| format!("{byte:02x}")).collect();
            format!("bytes {}", hex.join(" "))
        }
    }
}

#[cfg(test)]
mod tests {
    use cozy_test_doubles::pe::{build, section_header_offset};

    use super::{MACHINE_AMD64, MACHINE_ARM64, Section, parse};

    fn set_u32(bytes: &mut [u8], at: usize, value: u32) {
        bytes[at..at + 4].copy_from_slice(&value.to_le_bytes());
    }

    #[test]
    fn arm64_zboot_kernel() {
        let bytes = build(MACHINE_ARM64, &[(".text", b"arm64 kernel")], false, true);
        let image = parse(&bytes).unwrap();
        assert_eq!(image.machine, MACHINE_ARM64);
        assert_eq!(image.arch(), Some("arm64"));
        assert!(image.zboot);
        assert!(!image.x86_boot_header);
        assert_eq!(image.section(&bytes, ".text"), Some(&b"arm64 kernel"[..]));
    }

    #[test]
    fn amd64_bzimage_kernel() {
        let bytes =
            build(MACHINE_AMD64, &[(".setup", b"setup"), (".text", b"x86 kernel")], true, false);
        let image = parse(&bytes).unwrap();
        assert_eq!(image.arch(), Some("amd64"));
        assert!(image.x86_boot_header);
        assert!(!image.zboot);
        let names: Vec<&str> = image.sections.iter().map(|section| section.name.as_str()).collect();
        assert_eq!(names, [".setup", ".text"]);
        assert_eq!(image.section(&bytes, ".text"), Some(&b"x86 kernel"[..]));
        assert_eq!(image.section(&bytes, ".linux"), None);
    }

    #[test]
    fn other_machines_have_no_arch() {
        let bytes = build(0x01c4, &[], false, false); // ARMv7 Thumb-2
        let image = parse(&bytes).unwrap();
        assert_eq!(image.machine, 0x01c4);
        assert_eq!(image.arch(), None);
        assert!(image.sections.is_empty());
    }

    #[test]
    fn uki_sections_come_back_byte_for_byte() {
        let kernel = build(MACHINE_AMD64, &[(".text", b"kernel")], true, false);
        let initrd: Vec<u8> = (0..=255u8).cycle().take(5000).collect();
        let bytes = build(
            MACHINE_AMD64,
            &[(".osrel", b"ID=talos\n"), (".linux", &kernel), (".initrd", &initrd)],
            false,
            false,
        );
        let image = parse(&bytes).unwrap();
        assert_eq!(image.section(&bytes, ".linux"), Some(&kernel[..]));
        assert_eq!(image.section(&bytes, ".initrd"), Some(&initrd[..]));
        let inner = parse(image.section(&bytes, ".linux").unwrap()).unwrap();
        assert_eq!(inner.arch(), Some("amd64"));
    }

    #[test]
    fn section_size_is_virtual_size_only_when_it_fits_the_raw_data() {
        // The builder pads 10 bytes of data to a 0x200-byte SizeOfRawData.
        let template = build(MACHINE_ARM64, &[(".initrd", b"0123456789")], false, false);
        let header = section_header_offset(false, 0);
        let size_with = |virtual_size: u32| {
            let mut bytes = template.clone();
            set_u32(&mut bytes, header + 8, virtual_size);
            let image = parse(&bytes).unwrap();
            let Section { size, offset, .. } = image.sections[0].clone();
            assert_eq!(offset, 0x200);
            size
        };
        assert_eq!(size_with(10), 10);
        assert_eq!(size_with(0x200), 0x200);
        assert_eq!(size_with(0), 0x200, "zero VirtualSize falls back to SizeOfRawData");
        assert_eq!(size_with(0x201), 0x200, "VirtualSize larger than the raw data is ignored");
    }

    #[test]
    fn errors_name_what_and_where() {
        let bytes = build(MACHINE_ARM64, &[(".linux", b"kernel")], false, true);
        let error = |bytes: &[u8]| format!("{:#}", parse(bytes).unwrap_err());

        assert_eq!(
            error(b""),
            "not a PE image: expected `MZ` at offset 0, found the end of the data"
        );
        assert_eq!(
            error(b"\x7fELF\x02\x01"),
            "not a PE image: expected `MZ` at offset 0, found bytes 7f 45"
        );
        assert!(
            error(&bytes[..0x30])
                .starts_with("DOS header truncated: expected 4 bytes at offset 0x3c")
        );

        let mut bad_lfanew = bytes.clone();
        set_u32(&mut bad_lfanew, 0x3c, 0x4000_0000);
        assert_eq!(
            error(&bad_lfanew),
            "not a PE image: expected `PE\\0\\0` at offset 0x40000000 (from `e_lfanew` at 0x3c), found the end of the data"
        );
        let mut not_pe = bytes.clone();
        not_pe[0x40..0x44].copy_from_slice(b"NE\0\0");
        assert!(error(&not_pe).ends_with("found bytes 4e 45 00 00"), "{}", error(&not_pe));

        let table = section_header_offset(false, 0);
        assert!(error(&bytes[..0x44 + 10]).starts_with("COFF header truncated"));
        assert_eq!(
            error(&bytes[..table + 20]),
            format!(
                "section header 0 at offset {table:#x}: truncated: the file has {} bytes",
                table + 20
            )
        );
        assert_eq!(
            error(&bytes[..0x203]),
            format!(
                "section header 0 at offset {table:#x}: section `.linux`: data at offset 0x200 with size 0x6 runs past the end of the file (0x203 bytes)"
            )
        );
    }

    #[test]
    fn every_prefix_and_every_byte_flip_is_handled_without_panicking() {
        let bytes =
            build(MACHINE_AMD64, &[(".linux", b"kernel"), (".initrd", b"initrd")], true, false);
        for len in 0..bytes.len() {
            let _ = parse(&bytes[..len]);
        }
        for at in 0..0x400 {
            let mut flipped = bytes.clone();
            flipped[at] ^= 0xff;
            if let Ok(image) = parse(&flipped) {
                for section in &image.sections {
                    assert!(section.offset + section.size <= flipped.len());
                    assert!(image.section(&flipped, &section.name).is_some());
                }
            }
        }
    }
}
