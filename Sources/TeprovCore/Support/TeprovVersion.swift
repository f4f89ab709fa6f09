/// The version `teprov --version` prints and plans record.
public enum TeprovVersion {
    public static let current = "0.1.0"
}
