import NetRavenLab

await LabCommand.runFromCommandLine()
