import Testing

@testable import TeprovCore

@Suite struct ParallelWorkTests {
    @Test(arguments: [0, 1, 2, 3, 10, 1001])
    func mapKeepsTheOrderOfTheIndices(_ count: Int) {
        let results = ParallelWork.map(5..<(5 + count)) { index in index * index }
        #expect(results == (5..<(5 + count)).map { $0 * $0 })
    }

    @Test(arguments: [0, 1, 2, 7, 1000, 1001])
    func halvesCoverEveryIndexOnceInOrder(_ count: Int) {
        let seen = ParallelWork.halves(of: count) { range in Array(range) }
        #expect(seen == Array(0..<count))
        // A body that keeps only some items still gives them in order.
        let even = ParallelWork.halves(of: count) { range in range.filter { $0 % 2 == 0 } }
        #expect(even == (0..<count).filter { $0 % 2 == 0 })
    }
}
