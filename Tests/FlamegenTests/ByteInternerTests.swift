import FlameModel
import XCTest

final class ByteInternerTests: XCTestCase {
    private func intern(_ name: String, in names: inout ByteInterner) -> Int32 {
        Array(name.utf8).withUnsafeBytes { names.intern($0) }
    }

    private func find(_ name: String, in names: ByteInterner) -> Int32? {
        Array(name.utf8).withUnsafeBytes { names.find($0, hash: ByteInterner.hash($0)) }
    }

    /// Names appended without a lookup are found again once the next `intern` rebuilds the
    /// table: interning one of them gives its id, not a second copy.
    func testNamesAppendedUnindexedAreIndexedAtTheNextIntern() {
        var names = ByteInterner(capacity: 4)
        XCTAssertEqual(intern("main", in: &names), 0)
        XCTAssertEqual(find("main", in: names), 0)
        XCTAssertNil(find("work", in: names))
        for k in 0..<100 {
            let id = Array("name_\(k)".utf8).withUnsafeBytes { names.appendUnindexed($0) }
            XCTAssertEqual(id, Int32(k + 1))
        }
        XCTAssertEqual(intern("name_57", in: &names), 58)
        XCTAssertEqual(intern("main", in: &names), 0)
        XCTAssertEqual(find("name_99", in: names), 100)
        XCTAssertEqual(intern("new", in: &names), 101)
        XCTAssertEqual(names.count, 102)
        XCTAssertEqual(names.string(58), "name_57")
    }

    /// A table reserved for millions of names starts empty and interns as any other.
    func testBigReservedTableStartsEmpty() {
        var names = ByteInterner(capacity: 4)
        names.reserve(names: 3 << 20, bytes: 1 << 20)
        for k in 0..<1000 { XCTAssertEqual(intern("f\(k)", in: &names), Int32(k)) }
        for k in 0..<1000 { XCTAssertEqual(find("f\(k)", in: names), Int32(k)) }
    }
}
