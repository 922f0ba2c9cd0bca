namespace Sessions.Actors;

/// <summary>A silo's state in the membership table, as in Orleans. Only Active silos own grains.</summary>
public enum SiloStatus
{
    /// <summary>Started and checking that it can reach the Active silos; owns nothing yet.</summary>
    Joining = 1,

    /// <summary>Serving: grains are placed on it.</summary>
    Active = 2,

    /// <summary>Leaving gracefully: its grains move away while it still forwards what reaches it.</summary>
    ShuttingDown = 3,

    /// <summary>Gone, by its own word or declared so by its peers. A Dead silo never comes back; a restart is a new generation.</summary>
    Dead = 4,
}
