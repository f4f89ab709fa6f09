/// `group-members.csv`: `groupId,memberId,memberType`, one row per user assigned through a group
/// (in user order, so rows of one group are interleaved with others, as a concatenated export is).
enum GroupMembersWriter {
    static func write(_ population: Population, to file: inout OutputFile) {
        let groupIDs = (0..<population.groupCount).map { population.groupID($0) }
        file.write("groupId,memberId,memberType\n")
        for index in 0..<population.users {
            let user = population.user(index)
            guard case .group(let group) = user.assignment else { continue }
            file.write(guid: groupIDs[group])
            file.write(byte: 44)
            file.write(guid: user.id)
            file.write(",User\n")
        }
    }
}
