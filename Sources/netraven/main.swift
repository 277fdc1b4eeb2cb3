import Foundation
import NetRavenCLI

exit(await NetRavenCommand.mainWithExitCodes())
