//! Minimal but structurally valid PE32+ images: kernels (`bzImage`-like, zboot-like) and UKIs.
//!
//! Layout: DOS header (`MZ`, `e_lfanew`), optionally the x86 boot-protocol markers (`0xAA55` at
//! 0x1fe, `HdrS` at 0x202) and the zboot marker (`zimg` at 4, `zstd` at 0x18), the `PE\0\0`
//! signature, a COFF header, a PE32+ optional header with 16 empty data directories and one
//! section header per section. Section data starts at 0x200-byte file alignment; `VirtualSize`
//! is the exact length and `SizeOfRawData` the length rounded up, as linkers write them.

/// COFF `Machine` of x86-64 images.
pub const MACHINE_AMD64: u16 = 0x8664;
/// COFF `Machine` of AArch64 images.
pub const MACHINE_ARM64: u16 = 0xaa64;

const FILE_ALIGNMENT: usize = 0x200;
const SECTION_ALIGNMENT: u32 = 0x1000;
const OPTIONAL_HEADER_LEN: u16 = 240;

/// A PE32+ image for `machine` holding `sections` (name, data) in order.
///
/// `x86_boot_header` adds the x86 boot protocol header (`HdrS` at 0x202) and moves the PE
/// header behind it; `zboot` adds the EFI zboot header (`zimg` at 4). Section names longer than
/// 8 bytes are cut to 8. The same arguments always give the same bytes.
#[must_use]
pub fn build(
    machine: u16,
    sections: &[(&str, &[u8])],
    x86_boot_header: bool,
    zboot: bool,
) -> Vec<u8> {
    let pe_offset: usize = if x86_boot_header { 0x280 } else { 0x40 };
    let section_count = u16::try_from(sections.len()).expect("at most 65535 sections");
    let table = pe_offset + 4 + 20 + usize::from(OPTIONAL_HEADER_LEN);
    let headers_len = align(table + 40 * sections.len(), FILE_ALIGNMENT);

    let mut out = vec![0u8; headers_len];
    out[..2].copy_from_slice(b"MZ");
    put_u32(&mut out, 0x3c, u32_of(pe_offset));
    if zboot {
        out[4..8].copy_from_slice(b"zimg");
        out[0x18..0x1c].copy_from_slice(b"zstd");
    }
    if x86_boot_header {
        out[0x1f1] = 1; // setup_sects
        out[0x1fe..0x200].copy_from_slice(&[0x55, 0xaa]);
        out[0x202..0x206].copy_from_slice(b"HdrS");
        put_u16(&mut out, 0x206, 0x020f); // boot protocol 2.15
    }

    // Section data first, so the headers can name sizes and the image size.
    let mut rows = Vec::with_capacity(sections.len());
    let mut virtual_address = SECTION_ALIGNMENT;
    for (name, data) in sections {
        let pointer = out.len();
        out.extend_from_slice(data);
        out.resize(align(out.len(), FILE_ALIGNMENT), 0);
        rows.push((
            *name,
            u32_of(data.len()),
            virtual_address,
            u32_of(out.len() - pointer),
            u32_of(pointer),
        ));
        virtual_address += u32_of(align(data.len().max(1), SECTION_ALIGNMENT as usize));
    }

    out[pe_offset..pe_offset + 4].copy_from_slice(b"PE\0\0");
    let coff = pe_offset + 4;
    put_u16(&mut out, coff, machine);
    put_u16(&mut out, coff + 2, section_count);
    put_u16(&mut out, coff + 16, OPTIONAL_HEADER_LEN);
    put_u16(&mut out, coff + 18, 0x0206); // executable, line numbers and debug info stripped

    let optional = coff + 20;
    put_u16(&mut out, optional, 0x020b); // PE32+
    put_u32(&mut out, optional + 16, SECTION_ALIGNMENT); // AddressOfEntryPoint: start of the first section
    put_u32(&mut out, optional + 32, SECTION_ALIGNMENT);
    put_u32(&mut out, optional + 36, u32_of(FILE_ALIGNMENT));
    put_u32(&mut out, optional + 56, virtual_address); // SizeOfImage
    put_u32(&mut out, optional + 60, u32_of(headers_len)); // SizeOfHeaders
    put_u16(&mut out, optional + 68, 10); // Subsystem: EFI application
    put_u32(&mut out, optional + 108, 16); // NumberOfRvaAndSizes

    for (index, (name, virtual_size, address, raw_size, pointer)) in rows.into_iter().enumerate() {
        let at = table + 40 * index;
        let name = name.as_bytes();
        let name_len = name.len().min(8);
        out[at..at + name_len].copy_from_slice(&name[..name_len]);
        put_u32(&mut out, at + 8, virtual_size);
        put_u32(&mut out, at + 12, address);
        put_u32(&mut out, at + 16, raw_size);
        put_u32(&mut out, at + 20, pointer);
        put_u32(&mut out, at + 36, 0x4000_0040); // initialized data, readable
    }
    out
}

/// The file offset of section header `index` in an image `build` made, for tests that patch it
/// (`VirtualSize` is at +8, `SizeOfRawData` at +16, `PointerToRawData` at +20).
#[must_use]
pub fn section_header_offset(x86_boot_header: bool, index: usize) -> usize {
    let pe_offset: usize = if x86_boot_header { 0x280 } else { 0x40 };
    pe_offset + 4 + 20 + usize::from(OPTIONAL_HEADER_LEN) + 40 * index
}

fn align(value: usize, to: usize) -> usize {
    value.div_ceil(to) * to
}

fn u32_of(value: usize) -> u32 {
    u32::try_from(value).expect("test images stay below 4 GiB")
}

fn put_u16(out: &mut [u8], at: usize, value: u16) {
    out[at..at + 2].copy_from_slice(&value.to_le_bytes());
}

fn put_u32(out: &mut [u8], at: usize, value: u32) {
    out[at..at + 4].copy_from_slice(&value.to_le_bytes());
}
